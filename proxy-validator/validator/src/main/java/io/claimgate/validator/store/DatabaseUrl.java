package io.claimgate.validator.store;

import io.claimgate.model.SettingsException;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where the database is: a JDBC URL plus the user and password to log in with.
 *
 * <p>Accepts LiteLLM's {@code DATABASE_URL} ({@code postgresql://user:pass@host:port/db?params} or
 * {@code postgres://...}, user and password percent-encoded) as well as a plain {@code jdbc:postgresql:} URL, so that
 * an operator can point Claimgate at the database LiteLLM already uses by copying one variable. Prisma's own parameters
 * are translated ({@code schema} becomes {@code currentSchema}, {@code pgbouncer=true} turns off server-side prepared
 * statements) or dropped when they are pool settings, which Claimgate takes from its own settings instead; every other
 * parameter ({@code sslmode}, {@code sslrootcert}, ...) is passed to the driver as is.
 *
 * @param jdbcUrl  the JDBC URL, without credentials when they came from the user-info part
 * @param user     the user, or {@code null} when the URL does not name one
 * @param password the password, or {@code null}; never printed by {@link #toString()}
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {

    /** The environment variable LiteLLM reads the database location from. */
    public static final String ENV_DATABASE_URL = "DATABASE_URL";

    private static final String JDBC_PREFIX = "jdbc:postgresql:";
    private static final Set<String> PRISMA_POOL_PARAMETERS = Set.of(
            "connection_limit", "pool_timeout", "connect_timeout", "socket_timeout", "statement_cache_size");

    /**
     * Reads a {@code DATABASE_URL} or a JDBC URL.
     *
     * @throws SettingsException when the URL is not a PostgreSQL URL or cannot be parsed; the message never contains
     *                           the password
     */
    public static DatabaseUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new SettingsException(ENV_DATABASE_URL, "is empty; expected postgresql://user:password@host:port/db");
        }
        String trimmed = url.strip();
        if (trimmed.startsWith(JDBC_PREFIX)) {
            return new DatabaseUrl(trimmed, null, null);
        }
        String rest = stripScheme(trimmed);
        int slash = rest.indexOf('/');
        int question = rest.indexOf('?');
        int authorityEnd = firstOf(slash, question, rest.length());
        String authority = rest.substring(0, authorityEnd);
        String path = "";
        String query = "";
        if (question >= 0) {
            query = rest.substring(question + 1);
            path = slash >= 0 && slash < question ? rest.substring(slash + 1, question) : "";
        } else if (slash >= 0) {
            path = rest.substring(slash + 1);
        }

        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        String hostPort = authority;
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            hostPort = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo, "user");
            password = colon >= 0 ? decode(userInfo.substring(colon + 1), "password") : null;
            if (user.isEmpty()) {
                user = null;
            }
        }
        if (hostPort.isEmpty()) {
            throw new SettingsException(ENV_DATABASE_URL,
                    "names no host; expected postgresql://user:password@host:port/db");
        }
        checkHostPort(hostPort);

        StringBuilder jdbc = new StringBuilder(JDBC_PREFIX).append("//").append(hostPort).append('/')
                .append(decode(path, "database name").isEmpty() ? "" : path);
        String parameters = jdbcParameters(query);
        if (!parameters.isEmpty()) {
            jdbc.append('?').append(parameters);
        }
        return new DatabaseUrl(jdbc.toString(), user, password);
    }

    @Override
    public String toString() {
        // Settings are logged at start; the password must never reach a log.
        return "DatabaseUrl[jdbcUrl=" + redactedJdbcUrl() + ", user=" + user + ", password="
                + (password == null ? "none" : "****") + "]";
    }

    /** The JDBC URL with any {@code password=} parameter masked, fit for logs. */
    public String redactedJdbcUrl() {
        return jdbcUrl.replaceAll("(?i)([?&]password=)[^&]*", "$1****");
    }

    private static String stripScheme(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        for (String scheme : new String[] {"postgresql://", "postgres://"}) {
            if (lower.startsWith(scheme)) {
                return url.substring(scheme.length());
            }
        }
        int colon = url.indexOf(':');
        String scheme = colon > 0 && colon < 20 ? url.substring(0, colon) : "none";
        throw new SettingsException(ENV_DATABASE_URL, "has scheme '" + scheme
                + "'; expected postgresql://user:password@host:port/db, postgres://... or jdbc:postgresql://...");
    }

    private static int firstOf(int a, int b, int otherwise) {
        int first = otherwise;
        if (a >= 0) {
            first = Math.min(first, a);
        }
        if (b >= 0) {
            first = Math.min(first, b);
        }
        return first;
    }

    private static void checkHostPort(String hostPort) {
        // Several hosts (host1:5432,host2:5432) are valid for the driver; check each port is a number.
        for (String one : hostPort.split(",")) {
            int portColon = one.startsWith("[") ? one.indexOf(':', one.indexOf(']')) : one.lastIndexOf(':');
            if (portColon >= 0) {
                String port = one.substring(portColon + 1);
                if (!port.matches("\\d{1,5}")) {
                    throw new SettingsException(ENV_DATABASE_URL, "has port '" + port + "'; expected a number");
                }
            }
        }
    }

    private static String jdbcParameters(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String key = decode(equals >= 0 ? pair.substring(0, equals) : pair, "parameter name");
                String value = equals >= 0 ? decode(pair.substring(equals + 1), "parameter " + key) : "";
                if (key.equals("schema")) {
                    parameters.put("currentSchema", value);
                } else if (key.equals("pgbouncer")) {
                    if (value.equalsIgnoreCase("true")) {
                        // PgBouncer in transaction mode cannot keep named prepared statements across transactions.
                        parameters.put("prepareThreshold", "0");
                    }
                } else if (!PRISMA_POOL_PARAMETERS.contains(key)) {
                    parameters.put(key, value);
                }
            }
        }
        StringBuilder joined = new StringBuilder();
        parameters.forEach((key, value) -> {
            if (joined.length() > 0) {
                joined.append('&');
            }
            joined.append(encode(key)).append('=').append(encode(value));
        });
        return joined.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Percent-decoding as in URLs (RFC 3986): unlike form decoding, a {@code +} stays a plus. */
    private static String decode(String text, String part) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        int i = 0;
        while (i < text.length()) {
            int percent = text.indexOf('%', i);
            if (percent < 0) {
                percent = text.length();
            }
            byte[] plain = text.substring(i, percent).getBytes(StandardCharsets.UTF_8);
            bytes.write(plain, 0, plain.length);
            if (percent == text.length()) {
                break;
            }
            int high = percent + 2 < text.length() ? Character.digit(text.charAt(percent + 1), 16) : -1;
            int low = percent + 2 < text.length() ? Character.digit(text.charAt(percent + 2), 16) : -1;
            if (high < 0 || low < 0) {
                // Name the part only: the text may be the password.
                throw new SettingsException(ENV_DATABASE_URL, "has a malformed percent-escape in the " + part);
            }
            bytes.write(high * 16 + low);
            i = percent + 3;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
