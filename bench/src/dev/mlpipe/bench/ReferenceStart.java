package dev.mlpipe.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * 6r: what starting costs without mlpipe, in the same run: the minimal Quarkus REST application bench/hello (one
 * endpoint, quarkus-rest and quarkus-smallrye-health, mlpipe's Quarkus version) with plain {@code java -jar}, to the
 * first 200 on {@code /q/health/ready} (management port, as mlpipe's), its first request and its RSS then; and a
 * bare JVM, to its first line, with its RSS.
 */
final class ReferenceStart implements Scenario {

    static final Figure READY = new Figure("s6r.readyMs", Unit.MILLISECONDS);
    static final Figure FIRST_REQUEST = new Figure("s6r.firstRequestMs", Unit.MILLISECONDS);
    static final Figure RSS = new Figure("s6r.rssMb", Unit.MEGABYTES);
    static final Figure BARE_START = new Figure("s6r.bareJvmStartMs", Unit.MILLISECONDS);
    static final Figure BARE_RSS = new Figure("s6r.bareJvmRssMb", Unit.MEGABYTES);

    @Override
    public String id() {
        return "6r";
    }

    @Override
    public String group() {
        return "start";
    }

    @Override
    public List<Figure> figures() {
        return List.of(READY, FIRST_REQUEST, RSS, BARE_START, BARE_RSS);
    }

    @Override
    public void measure(Harness h, Measurements m) throws Exception {
        try (Service s = h.reference()) {
            m.add(READY, s.readyMillis());
            m.add(FIRST_REQUEST, s.client().getMillis("/hello"));
            m.add(RSS, s.rssMb());
        }
        // the harness's own classes, without the jars beside them: nothing but a class to load
        String classes = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> new File(p).isDirectory()).collect(Collectors.joining(File.pathSeparator));
        long began = System.nanoTime();
        Process bare = Host.jvm(List.of(Host.java(), "-cp", classes, Baseline.class.getName(), "idle")).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(bare.getInputStream()))) {
            r.readLine();
            m.add(BARE_START, (System.nanoTime() - began) / 1e6);
            m.add(BARE_RSS, Host.rssMb(bare.pid()));
        } finally {
            bare.destroyForcibly().waitFor();
        }
    }

    @Override
    public List<Row> rows(Measurements m) {
        return List.of(new Row(id(), "the reference: a minimal Quarkus REST application (bench/hello: one endpoint, "
                + "`quarkus-rest`, `quarkus-smallrye-health`, the same Quarkus version), plain `java -jar`; and a bare "
                + "JVM", List.of(), "-", "ready in " + m.show(READY) + ", its first request " + m.show(FIRST_REQUEST)
                + ", " + m.show(RSS) + "; a bare JVM: " + m.show(BARE_START) + ", " + m.show(BARE_RSS), "-"));
    }
}
