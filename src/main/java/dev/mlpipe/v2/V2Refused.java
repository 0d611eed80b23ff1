package dev.mlpipe.v2;

/**
 * Why a body of the Open Inference Protocol was not taken: its message is what goes into the protocol's error object
 * ({@code {"error": "..."}}, inference_rest.md, "Inference Response JSON Error Object"), its status the HTTP status the
 * spec gives ("typically 400"), or 413 for a body beyond its bound.
 */
public final class V2Refused extends RuntimeException {

    /** Long enough to recognise a name or a value in a message, short enough that a hostile one does not fill it. */
    private static final int CLIP = 80;

    private final int status;

    private V2Refused(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** A body that breaks the protocol or one of its bounds: the client's to fix (400). */
    public static V2Refused badRequest(String message) {
        return new V2Refused(400, message);
    }

    /** A body longer than its bound (413). */
    public static V2Refused tooLarge(String message) {
        return new V2Refused(413, message);
    }

    /** The HTTP status to answer with. */
    public int status() {
        return status;
    }

    /** A value from a body as a message shows it: at most {@value #CLIP} characters, the rest elided. */
    public static String clip(String value) {
        return clip(value, CLIP);
    }

    /** A value or a message from a library, at most {@code most} characters, the rest elided. */
    static String clip(String value, int most) {
        return value.length() <= most ? value : value.substring(0, most) + "...";
    }
}
