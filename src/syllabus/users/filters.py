from __future__ import annotations

from syllabus.kit.filters import FilterSet, IntFilter, TextFilter

USER_FILTERS = FilterSet(
    TextFilter("email", "The user with this email (exact, case-insensitive)."),
    TextFilter("role", "Users with this role: affiliate, course_admin, group_analyst, site_admin."),
    TextFilter("external_source", "Users created from this external source."),
    TextFilter("custom_profile_field_label", "Users with a custom profile field of this label."),
    TextFilter("custom_profile_field_value", "Users with a custom profile field of this value."),
    IntFilter("group_id", "Members of this group."),
)
