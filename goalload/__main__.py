import gc
import sys

from goalload.cli import main

code = main()
# Everything is written. The interpreter's last collections at exit would walk every
# object of the analysis only to free them with the process: 0.15-0.2 s of a
# municipality's `recommend`, where the prompt would wait.
gc.freeze()
sys.exit(code)
