"""ORM models, one module per table. Importing this package registers every table."""

from syllabus.models.base import Base, Record, index_foreign_keys
from syllabus.models.bundle import Bundle, bundle_courses
from syllabus.models.chapter import Chapter
from syllabus.models.collection import Collection, collection_memberships
from syllabus.models.content import CONTENTABLE_TYPES, Content
from syllabus.models.course import Course, course_admins
from syllabus.models.course_review import CourseReview
from syllabus.models.custom_profile_field import CustomProfileField, CustomProfileFieldDefinition
from syllabus.models.enrollment import Enrollment
from syllabus.models.event import Event
from syllabus.models.fault import FAULT_ACTIONS, FaultRule
from syllabus.models.group import Group, GroupMembership, group_analysts
from syllabus.models.instructor import Instructor
from syllabus.models.journal import JournalEntry
from syllabus.models.oauth import OAuthApp, OAuthCode, ServerSecret
from syllabus.models.order import ExternalOrder, ExternalOrderTransaction, Order, OrderItem
from syllabus.models.product import Product, ProductPrice, related_products
from syllabus.models.progress import LessonCompletion, QuizAttempt
from syllabus.models.promotion import Coupon, Promotion, promotion_products
from syllabus.models.publish_request import ProductPublishRequest
from syllabus.models.site import Credential, Site
from syllabus.models.site_script import SiteScript
from syllabus.models.snapshot import Snapshot
from syllabus.models.user import ROLES, User
from syllabus.models.webhook import DeliveryAttempt, Webhook, WebhookDelivery

# Every foreign key column is indexed (base.py), once every table is defined.
index_foreign_keys(Base.metadata)

__all__ = [
    "CONTENTABLE_TYPES",
    "FAULT_ACTIONS",
    "ROLES",
    "Base",
    "Bundle",
    "Chapter",
    "Collection",
    "Content",
    "Coupon",
    "Course",
    "CourseReview",
    "Credential",
    "CustomProfileField",
    "CustomProfileFieldDefinition",
    "DeliveryAttempt",
    "Enrollment",
    "Event",
    "ExternalOrder",
    "ExternalOrderTransaction",
    "FaultRule",
    "Group",
    "GroupMembership",
    "Instructor",
    "JournalEntry",
    "LessonCompletion",
    "OAuthApp",
    "OAuthCode",
    "Order",
    "OrderItem",
    "Product",
    "ProductPrice",
    "ProductPublishRequest",
    "Promotion",
    "QuizAttempt",
    "Record",
    "ServerSecret",
    "Site",
    "SiteScript",
    "Snapshot",
    "User",
    "Webhook",
    "WebhookDelivery",
    "bundle_courses",
    "collection_memberships",
    "course_admins",
    "group_analysts",
    "promotion_products",
    "related_products",
]
