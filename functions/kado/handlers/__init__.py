

from kado.handlers import restore

# Every function's package import: a SnapStart restore reseeds and drops what the snapshot
# holds (handlers/restore.py).
restore.register()
