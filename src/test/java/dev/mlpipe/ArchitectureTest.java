package dev.mlpipe;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The packages form layers in the order data flows and a request is answered: a package depends only on those before
 * it. A lower stage tells the core something through an interface it defines and the core implements (the loader's
 * {@code LoaderEvents}, the model's {@code ResultSink}) or an event it fires ({@code BrokerWatch.Outage}).
 */
class ArchitectureTest {

    /** Lowest first. */
    static final List<String> LAYERS = List.of("v2", "config", "observe", "queue", "load", "model", "broker", "run",
            "serve", "sweep", "problem", "stream", "api", "http");

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.mlpipe");

    @Test
    void aPackageDependsOnlyOnThePackagesBeforeIt() {
        for (int i = 0; i < LAYERS.size(); i++) {
            String[] later = LAYERS.subList(i + 1, LAYERS.size()).stream().map(p -> "dev.mlpipe." + p + "..")
                    .toArray(String[]::new);
            if (later.length > 0) {
                noClasses().that().resideInAPackage("dev.mlpipe." + LAYERS.get(i) + "..")
                        .should().dependOnClassesThat().resideInAnyPackage(later)
                        .because(LAYERS.get(i) + " comes before " + String.join(", ", LAYERS.subList(i + 1, LAYERS.size())))
                        .check(MAIN);
            }
        }
    }

    @Test
    void loadAndModelKnowNothingOfEachOther() {
        noClasses().that().resideInAPackage("dev.mlpipe.load..").should().dependOnClassesThat()
                .resideInAPackage("dev.mlpipe.model..").check(MAIN);
    }

    @Test
    void thereAreNoCyclesBetweenPackages() {
        slices().matching("dev.mlpipe.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void httpStaysAtTheEdge() {
        noClasses().that().resideInAnyPackage("dev.mlpipe.config..", "dev.mlpipe.observe..", "dev.mlpipe.queue..",
                "dev.mlpipe.load..", "dev.mlpipe.model..", "dev.mlpipe.broker..", "dev.mlpipe.run..",
                "dev.mlpipe.serve..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.ws.rs..", "io.vertx.ext.web..",
                        "org.jboss.resteasy..")
                .because("the core throws domain exceptions (RunRefused) that problem/ maps; only api/, stream/ and "
                        + "problem/ speak HTTP")
                .check(MAIN);
    }
}
