from portal import selectors
from portal.models import Role


def navigation(request):
    """Roles of the signed-in user, so the layout shows only the menus they can use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_roles": set()}
    roles = selectors.user_roles(user=user)
    return {
        "nav_roles": roles,
        "nav_is_staff_admin": user.is_staff or Role.ADMIN in roles,
    }
