package dev.mlpipe.support;

import java.util.function.Consumer;

/**
 * The event-stream format read a line at a time (the WHATWG rules for {@code id}, {@code event}, {@code data} and
 * comments), for the tests' clients, each of which reads its lines its own way.
 */
final class SseLines {

    private final Consumer<SseClient.Event> events;
    private final Consumer<String> comments;
    private long id = -1; // like a browser's last event id, it carries over to events without an id of their own
    private String type = "message";
    private StringBuilder data;

    SseLines(Consumer<SseClient.Event> events, Consumer<String> comments) {
        this.events = events;
        this.comments = comments;
    }

    void line(String line) {
        if (line.isEmpty()) {
            if (data != null) {
                events.accept(new SseClient.Event(id, type, data.toString()));
            }
            type = "message";
            data = null;
        } else if (line.startsWith(":")) {
            comments.accept(line.substring(1).trim());
        } else {
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).stripLeading();
            switch (field) {
                case "id" -> id = Long.parseLong(value);
                case "event" -> type = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> {
                }
            }
        }
    }
}
