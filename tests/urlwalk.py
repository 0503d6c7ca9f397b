"""Every URL pattern of the project, with its namespaced name (or its route if unnamed)."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class DiscoveredUrl:
    key: str  # "members:company_detail", or "admin:<unnamed> admin/(?P<url>.*)$"
    name: str | None  # the name to reverse, None when the pattern has none
    namespace: str | None
    route: str  # the full route, for messages and unnamed patterns


def _patterns(patterns=None, prefix: str = "", namespace: str | None = None):
    """(DiscoveredUrl, URLPattern) for every pattern below `patterns`."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield DiscoveredUrl(name, name, namespace, route), pattern
            else:
                key = f"{namespace}:<unnamed> {route}" if namespace else f"<unnamed> {route}"
                yield DiscoveredUrl(key, None, namespace, route), pattern


def walk(patterns=None, prefix: str = "", namespace: str | None = None):
    for url, _pattern in _patterns(patterns, prefix, namespace):
        yield url


def discover() -> dict[str, DiscoveredUrl]:
    found: dict[str, DiscoveredUrl] = {}
    for url in walk():
        # A name used twice reverses to the last one; the first is shadowed, keep it visible.
        key = url.key if url.key not in found else f"{url.key} (shadowed: {url.route})"
        found[key] = url
    return found


def resolve_callback(url: DiscoveredUrl):
    """The view function a discovered pattern calls."""
    for pattern_url, pattern in _patterns():
        if pattern_url == url:
            return pattern.callback
    raise LookupError(url.key)
