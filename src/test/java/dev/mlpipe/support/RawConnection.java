package dev.mlpipe.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A client socket as an attacker holds one: from a chosen loopback address (Linux answers the whole of 127/8), sending
 * exactly the bytes it likes (half a header, a Host of its choice) and reading one answer at a time on a kept-alive
 * connection.
 */
public final class RawConnection implements AutoCloseable {

    /** One answer: its status code (0 if the connection closed first) and its body. */
    public record Answer(int status, String body) {
    }

    private final Socket socket;

    private RawConnection(Socket socket) {
        this.socket = socket;
    }

    /** Connected from {@code from} (an address of this machine) to 127.0.0.1:{@code port}. */
    public static RawConnection open(String from, int port) {
        try {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            return new RawConnection(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An answer not read within this is taken for none ({@link Answer#status} 0). */
    public RawConnection answersWithin(java.time.Duration time) {
        try {
            socket.setSoTimeout((int) time.toMillis());
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RawConnection send(String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A GET with {@code Host: localhost} and these header lines (each {@code Name: value}). */
    public RawConnection get(String path, String... headers) {
        StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return send(request.append("\r\n").toString());
    }

    /** Reads one answer whole (its body by Content-Length), leaving the connection ready for the next request. */
    public Answer answer() {
        try {
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            if (head.isEmpty()) {
                return new Answer(0, "");
            }
            int length = 0;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring("content-length:".length()).strip());
                }
            }
            return new Answer(Integer.parseInt(head.split(" ")[1]), new String(in.readNBytes(length),
                    StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Answer(0, ""); // reset as the server closed it
        }
    }

    /** Whether the server has closed it: a read ends (or is reset) rather than waiting. For when no answer is due. */
    public boolean closedByServer() {
        try {
            int answerTimeout = socket.getSoTimeout();
            socket.setSoTimeout(20);
            try {
                return socket.getInputStream().read() < 0;
            } finally {
                socket.setSoTimeout(answerTimeout); // a later answer gets its own wait, not these 20 ms
            }
        } catch (SocketTimeoutException open) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // gone either way
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        for (int b = in.read(); b >= 0; b = in.read()) {
            head.write(b);
            last4 = last4 << 8 | b;
            if (last4 == 0x0d0a0d0a) { // CR LF CR LF: the end of the headers
                break;
            }
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
