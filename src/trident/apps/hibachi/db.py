from trident.core.db.base import make_base

Base = make_base()

#: the keyring encrypted columns of this app use (installed by the runtime)
KEYRING = "hibachi"
