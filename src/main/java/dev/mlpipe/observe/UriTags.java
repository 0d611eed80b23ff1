package dev.mlpipe.observe;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The {@code uri} tag of Quarkus' HTTP server metrics names a route, never a path a client made up: a request answered
 * before it reached a route would be tagged with its raw path, and anyone could fill Micrometer's 100 tags with junk,
 * after which real routes go unmeasured. Every {@code 401} counts under {@code UNAUTHORIZED}, every {@code 404} under
 * {@code NOT_FOUND}, every CORS preflight ({@code OPTIONS}) under {@code PREFLIGHT}; any other 4xx a route did not
 * answer counts under {@code UNKNOWN} ({@code quarkus.micrometer.binder.http-server.suppress4xx-errors}).
 */
public class UriTags {

    static final String UNAUTHORIZED = "UNAUTHORIZED";
    static final String NOT_FOUND = "NOT_FOUND";
    static final String PREFLIGHT = "PREFLIGHT";

    @Produces
    @Singleton
    MeterFilter routesOnly() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String uri = id.getTag("uri");
                if (uri == null || !id.getName().startsWith("http.server")) {
                    return id;
                }
                String kept = kept(uri, id.getTag("status"), id.getTag("method"));
                return kept.equals(uri) ? id : id.replaceTags(id.getTags().stream()
                        .map(tag -> tag.getKey().equals("uri") ? Tag.of("uri", kept) : tag).toList());
            }
        };
    }

    static String kept(String uri, String status, String method) {
        if ("401".equals(status)) {
            return UNAUTHORIZED;
        }
        if ("404".equals(status)) {
            return NOT_FOUND;
        }
        if ("OPTIONS".equals(method)) {
            return PREFLIGHT;
        }
        return uri;
    }
}
