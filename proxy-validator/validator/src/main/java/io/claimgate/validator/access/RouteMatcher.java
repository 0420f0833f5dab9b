package io.claimgate.validator.access;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether a request path is among a list of allowed entries, as LiteLLM's {@code _allowed_routes_check} does,
 * plus the trailing-{@code *} prefix wildcard that LiteLLM's documentation promises for {@code *_allowed_routes}.
 *
 * <p>An entry is one of:
 * <ul>
 *   <li>a route group name ({@link RouteGroups}): any route of the group, each a starlette template
 *       ({@code {name}} one segment, {@code {name:path}} the rest of the path), matched against the whole path;</li>
 *   <li>a route ending in {@code *}: any path that starts with what comes before the {@code *};</li>
 *   <li>anything else: exactly that path ({@link #withTemplates} reads an entry with {@code {name}} as a template
 *       instead).</li>
 * </ul>
 * Everything is compiled in the constructor; {@link #matches(String)} is a hash lookup, a few prefix tests and at
 * most one precompiled regular expression.
 */
public final class RouteMatcher {

    private final List<String> entries;
    private final Set<String> exact;
    private final String[] prefixes;
    private final Pattern templates;

    private RouteMatcher(List<String> entries, boolean entriesMayBeTemplates) {
        this.entries = List.copyOf(entries);
        Set<String> literal = new HashSet<>();
        List<String> prefixList = new ArrayList<>();
        List<String> regexes = new ArrayList<>();
        for (String entry : this.entries) {
            Objects.requireNonNull(entry, "route entry");
            if (RouteGroups.isGroup(entry)) {
                for (String template : RouteGroups.routes(entry)) {
                    if (template.indexOf('{') < 0) {
                        literal.add(template);
                    } else {
                        regexes.add(templateRegex(template));
                    }
                }
            } else if (entriesMayBeTemplates && entry.indexOf('{') >= 0) {
                regexes.add(templateRegex(entry));
            } else if (entry.endsWith("*")) {
                prefixList.add(entry.substring(0, entry.length() - 1));
            } else {
                literal.add(entry);
            }
        }
        exact = Set.copyOf(literal);
        prefixes = prefixList.toArray(String[]::new);
        templates = regexes.isEmpty() ? null : Pattern.compile(String.join("|", regexes), Pattern.DOTALL);
    }

    /** Compiles a list of allowed entries (route group names, routes, prefix wildcards). */
    public static RouteMatcher of(List<String> entries) {
        return new RouteMatcher(Objects.requireNonNull(entries, "entries"), false);
    }

    /**
     * As {@link #of}, except that an entry with {@code {name}} or {@code {name:path}} is a starlette template, as
     * inside a group. For Claimgate's own route lists (the gateway's {@code proxy_routes}); LiteLLM's
     * {@code *_allowed_routes} keep LiteLLM's exact matching.
     */
    public static RouteMatcher withTemplates(List<String> entries) {
        return new RouteMatcher(Objects.requireNonNull(entries, "entries"), true);
    }

    /** Whether the path (without query string) is allowed. A {@code null} path matches nothing. */
    public boolean matches(String route) {
        if (route == null) {
            return false;
        }
        if (exact.contains(route)) {
            return true;
        }
        for (String prefix : prefixes) {
            if (route.startsWith(prefix)) {
                return true;
            }
        }
        return templates != null && templates.matcher(route).matches();
    }

    /** The entries as configured, for messages. */
    public List<String> entries() {
        return entries;
    }

    /** The entries with every group replaced by its routes: LiteLLM's {@code get_actual_routes}. */
    public List<String> actualRoutes() {
        return RouteGroups.expand(entries);
    }

    /**
     * Starlette's {@code compile_path}: literal text escaped, {@code {name}} one segment, {@code {name:path}} anything,
     * {@code {name:int}} digits; anchored at both ends.
     */
    static String templateRegex(String template) {
        StringBuilder regex = new StringBuilder("(?:");
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            int close = open < 0 ? -1 : template.indexOf('}', open);
            if (open < 0 || close < 0) {
                regex.append(Pattern.quote(template.substring(i)));
                break;
            }
            if (open > i) {
                regex.append(Pattern.quote(template.substring(i, open)));
            }
            String param = template.substring(open + 1, close);
            int colon = param.indexOf(':');
            String convertor = colon < 0 ? "str" : param.substring(colon + 1);
            regex.append(switch (convertor) {
                case "path" -> ".*";
                case "int" -> "[0-9]+";
                case "float" -> "[0-9]+(?:\\.[0-9]+)?";
                case "uuid" -> "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
                default -> "[^/]+";
            });
            i = close + 1;
        }
        return regex.append(')').toString();
    }

    @Override
    public String toString() {
        return "RouteMatcher" + entries;
    }
}
