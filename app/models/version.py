"""The database's data version: one row that every committed change of the data moves forward."""

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class DataVersion(Base):
    """`version` grows by one with every transaction that changed data (app.core.data_version), so a page
    rendered at version N is still exact while the row reads N. `epoch` is random per database, so a
    version number of one database never matches another's (tests, a restored backup in a new file)."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    epoch: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(BigInteger, default=0)
