from trident.apps.hibachi.models import Base
from trident.core.db.migrations import run_env

run_env(Base.metadata)
