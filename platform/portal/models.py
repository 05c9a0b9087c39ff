"""Imports every feature's models so that ``Base.metadata`` is complete (Alembic, tests)."""

from portal.users.models import User, moderator_scopes  # noqa: F401
from portal.database import Base  # noqa: F401
from portal.institutions.models import Institution  # noqa: F401
from portal.interests.models import InstitutionBlock, Interest, InterestMessage  # noqa: F401
from portal.listings.models import Listing, ListingTranslation, listing_topics  # noqa: F401
from portal.mail.models import OutboxMessage  # noqa: F401
from portal.machine_translation.models import MachineTranslation  # noqa: F401
from portal.matching.models import ListingMatch  # noqa: F401
from portal.moderation.models import ExpiryReminder, ListingEvent, ListingReport, ListingRevision  # noqa: F401
from portal.partnerships.models import Project, ProjectEvent, ProjectPartner, ProjectTranslation, project_topics  # noqa: F401
from portal.notifications.models import Digest, Notification, NotificationPreference  # noqa: F401
from portal.saved_searches.models import SavedSearch  # noqa: F401
from portal.cache.models import CachedValue  # noqa: F401
from portal.changes.models import ChangeState, ListingChange  # noqa: F401
from portal.search.models import SearchDocument  # noqa: F401
from portal.security.models import ThrottleCounter  # noqa: F401
from portal.subjects.models import ConceptRow, ListingConcept  # noqa: F401
from portal.taxonomy.models import Center, Topic  # noqa: F401
from portal.worker.models import WorkerPosition  # noqa: F401
