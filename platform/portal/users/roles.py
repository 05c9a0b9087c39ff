"""Granting and revoking moderation scopes. Plain Python."""

from __future__ import annotations

from collections.abc import Iterable

from portal.users.models import Role, User
from portal.taxonomy.models import Center


def grant_moderation(user: User, centers: Iterable[Center]) -> None:
    for center in centers:
        if center not in user.moderated_centers:
            user.moderated_centers.append(center)
    if user.role == Role.MEMBER:
        user.role = Role.MODERATOR


def revoke_moderation(user: User, centers: Iterable[Center]) -> None:
    for center in list(centers):
        if center in user.moderated_centers:
            user.moderated_centers.remove(center)
    if user.role == Role.MODERATOR and not user.moderated_centers:
        user.role = Role.MEMBER


def can_moderate(user: User, center: Center) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.role == Role.ADMIN or (user.role == Role.MODERATOR and center in user.moderated_centers)
