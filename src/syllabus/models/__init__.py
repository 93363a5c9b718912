"""ORM models, one module per table. Importing this package registers every table."""

from syllabus.models.base import Base, Record
from syllabus.models.chapter import Chapter
from syllabus.models.content import CONTENTABLE_TYPES, Content
from syllabus.models.course import Course, course_admins
from syllabus.models.custom_profile_field import CustomProfileField, CustomProfileFieldDefinition
from syllabus.models.enrollment import Enrollment
from syllabus.models.event import Event
from syllabus.models.group import Group, GroupMembership
from syllabus.models.instructor import Instructor
from syllabus.models.product import Product
from syllabus.models.site import Credential, Site
from syllabus.models.user import ROLES, User

__all__ = [
    "CONTENTABLE_TYPES",
    "ROLES",
    "Base",
    "Chapter",
    "Content",
    "Course",
    "Credential",
    "CustomProfileField",
    "CustomProfileFieldDefinition",
    "Enrollment",
    "Event",
    "Group",
    "GroupMembership",
    "Instructor",
    "Product",
    "Record",
    "Site",
    "User",
    "course_admins",
]
