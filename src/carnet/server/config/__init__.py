"""`carnet notebook`'s configuration, one stage per module, in the order they run.

options      the declared options: traitlets classes, in Jupyter's sections
application  NotebookApp: the options plus the command line's aliases, flags, help
sources      reading the raw config: files along the config path (.py, then .json),
             --config FILE, the command line
compat       Jupyter options accepted and ignored, and renamed ones
load         checking every value (naming the file and option) and merging the
             sources by precedence into configured option instances
resolve      what only makes sense as a whole (paths, TLS, token, auth) -> settings
settings     ServerSettings, the immutable object the server runs on, its fields
             derived from the declared options
generate     --generate-config and --help-all, from the same declarations
"""
