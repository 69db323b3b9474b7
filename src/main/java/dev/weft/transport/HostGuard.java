package dev.weft.transport;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The DNS-rebinding check of a {@link StreamableHttpServer}: is a request's {@code Host} header, and its {@code Origin}
 * header when present, allowed? The policy is {@link HttpServerSpec}'s (see there). Immutable and thread-safe.
 */
final class HostGuard {
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    private final List<String> hosts; // lower case; empty: default
    private final List<String> origins; // lower case; empty: default
    private final boolean loopback;

    /** @param loopback whether the server is bound to a loopback address */
    HostGuard(List<String> allowedHosts, List<String> allowedOrigins, boolean loopback) {
        this.hosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        this.origins = allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
        this.loopback = loopback;
    }

    /**
     * Why the request must be refused, or {@code null} if it is allowed.
     *
     * @param host   the {@code Host} header, or {@code null}
     * @param origin the {@code Origin} header, or {@code null}
     */
    String refusal(String host, String origin) {
        String hostName = host == null ? null : hostPart(host.strip().toLowerCase(Locale.ROOT));
        if (!hostAllowed(host == null ? null : host.strip().toLowerCase(Locale.ROOT), hostName)) {
            return "Host " + (host == null ? "(none)" : "'" + host + "'") + " is not allowed";
        }
        if (origin != null && !originAllowed(origin.strip().toLowerCase(Locale.ROOT), hostName)) {
            return "Origin '" + origin + "' is not allowed";
        }
        return null;
    }

    private boolean hostAllowed(String authority, String hostName) {
        if (hosts.isEmpty()) {
            return !loopback || hostName != null && LOOPBACK.contains(hostName);
        }
        if (hosts.contains("*")) {
            return true;
        }
        return authority != null && (hosts.contains(authority) || hosts.contains(hostName));
    }

    private boolean originAllowed(String origin, String requestHost) {
        if (origins.contains("*")) {
            return true;
        }
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme();
        String originHost = uri.getHost();
        if (scheme == null || originHost == null) {
            return false; // "null" and other opaque origins
        }
        if (!origins.isEmpty()) {
            String schemeAndHost = scheme + "://" + originHost;
            return origins.contains(schemeAndHost) || uri.getPort() >= 0
                    && origins.contains(schemeAndHost + ":" + uri.getPort());
        }
        if (loopback) {
            return (scheme.equals("http") || scheme.equals("https")) && LOOPBACK.contains(originHost);
        }
        return originHost.equals(requestHost);
    }

    /** The host of an authority ({@code host}, {@code host:port}, {@code [v6]}, {@code [v6]:port}). */
    static String hostPart(String authority) {
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            return close < 0 ? authority : authority.substring(0, close + 1);
        }
        int colon = authority.indexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }
}
