from trident.core.db.base import make_base

Base = make_base()
