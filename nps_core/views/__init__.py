"""One function per page: everything the page's default drawing needs, as a
frozen dataclass, computed in one call (ui/cached.view caches it; the warm-up
calls the same functions, ui/navigation.py names them). A page passes the widget
values it holds (None: the page's default) and only draws what comes back."""
