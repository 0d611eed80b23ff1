package dev.mlpipe.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where datasets are found by name: {@code <name>.csv} in the operator's directory when there is one, else among the
 * shipped ones, {@code datasets/<name>.csv} on the classpath. The directory comes first, so an operator's file may
 * stand in for a shipped one of the same name.
 */
public final class Datasets {

    /** The folder of the shipped datasets on the classpath. */
    public static final String SHIPPED = "datasets/";
    public static final int MAX_NAME_LENGTH = 64;

    private final Optional<Path> directory;
    private final ReplayMemory memory;

    /**
     * @param replayBytes the most memory the parsed rows of all the runs of datasets found here may take for their
     *        later passes to replay their first (0: every pass reads the file)
     */
    public Datasets(Optional<Path> directory, long replayBytes) {
        this.directory = directory;
        this.memory = new ReplayMemory(replayBytes);
    }

    /**
     * The dataset called {@code name}, its header read.
     *
     * @throws DatasetRefused when the name is not one mlpipe reads ({@code [A-Za-z0-9._-]{1,64}}, no {@code ..}), no
     *         dataset has it, or its file has no usable header row
     */
    public Dataset find(String name) {
        checkName(name);
        String file = name + ".csv";
        if (directory.isPresent()) {
            Path path = directory.get().resolve(file);
            if (Files.isRegularFile(path)) {
                return Dataset.read(name, path.toString(), () -> Files.newInputStream(path), memory);
            }
        }
        URL shipped = Optional.ofNullable(Thread.currentThread().getContextClassLoader())
                .orElse(Datasets.class.getClassLoader()).getResource(SHIPPED + file);
        if (shipped != null) {
            return Dataset.read(name, SHIPPED + file + " on the classpath", shipped::openStream, memory);
        }
        throw new DatasetRefused(name + " names no dataset: there is no " + file + " among the shipped datasets"
                + directory.map(d -> " nor in " + d).orElse(""));
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new DatasetRefused("must name a dataset");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new DatasetRefused("must be a name of at most " + MAX_NAME_LENGTH + " characters");
        }
        if (name.contains("..")) {
            throw new DatasetRefused("must not contain '..': it is a name, not a path");
        }
        if (name.indexOf('/') >= 0) {
            throw new DatasetRefused("must not contain '/': it is a name, not a path");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '_' || c == '-';
            if (!allowed) {
                throw new DatasetRefused("may hold only letters, digits, '.', '_' and '-'");
            }
        }
    }

    /** Opens a dataset's file, once for each pass over it. */
    @FunctionalInterface
    interface Opener {
        java.io.InputStream open() throws IOException;

        default java.io.InputStream openOrFail(String origin) {
            try {
                return open();
            } catch (IOException e) {
                throw new UncheckedIOException("dataset " + origin + " cannot be read: " + e.getMessage(), e);
            }
        }
    }
}
