import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy that delays every byte by a fixed time in each direction: a network's latency between processes of one
 * host, for bench/broker-scaling.sh. Linux's netem qdisc would do this (tc qdisc add dev lo root netem delay 1ms), but
 * this host's kernel has none, so the delay is added here, in user space.
 *
 * <p>It is a delay line, not a stall: in each direction a reader stamps each chunk it reads with the time it is due
 * (when read + the delay) and queues it, and a writer sends the chunks in order, each once it is due. So every chunk
 * waits the delay, however many follow it, and the throughput is the loopback's; only the latency grows. The writer
 * parks until a chunk is due (no spinning, on a shared host): Linux's timer slack makes it some 50-100 us late.
 *
 * <p>Usage: {@code java bench/DelayProxy.java <listen port> <target port> [delay ms, default 1] [target host, default
 * 127.0.0.1]}. It listens on 127.0.0.1 only and runs until killed. Java 17, no dependencies.
 */
public final class DelayProxy {

    private static final int CHUNK = 64 * 1024;
    /** Queued after the last chunk once the reader sees the end of its stream: the writer then half-closes. */
    private static final Chunk END = new Chunk(0, new byte[0]);

    private record Chunk(long dueNanos, byte[] bytes) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: java DelayProxy.java <listen port> <target port> [delay ms] [target host]");
            System.exit(2);
        }
        int listenPort = Integer.parseInt(args[0]);
        int targetPort = Integer.parseInt(args[1]);
        long delayNanos = Math.round(Double.parseDouble(args.length > 2 ? args[2] : "1") * 1_000_000);
        String targetHost = args.length > 3 ? args[3] : "127.0.0.1";
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort));
            System.out.printf("delaying 127.0.0.1:%d -> %s:%d by %.3f ms each way%n", listenPort, targetHost,
                    targetPort, delayNanos / 1e6);
            while (true) {
                Socket client = server.accept();
                try {
                    Socket target = new Socket(targetHost, targetPort);
                    client.setTcpNoDelay(true);
                    target.setTcpNoDelay(true);
                    AtomicInteger open = new AtomicInteger(2);
                    pipe(client, target, delayNanos, open);
                    pipe(target, client, delayNanos, open);
                } catch (IOException unreachable) {
                    System.err.println("cannot reach " + targetHost + ":" + targetPort + ": " + unreachable);
                    client.close();
                }
            }
        }
    }

    /**
     * Copies from's input to to's output, each chunk delayed, on two daemon threads. The second direction to end closes
     * both sockets; a failed write closes them at once (the peer is gone, so is the connection).
     */
    private static void pipe(Socket from, Socket to, long delayNanos, AtomicInteger open) {
        BlockingQueue<Chunk> line = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[CHUNK];
            try {
                InputStream in = from.getInputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    line.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
                }
            } catch (IOException closed) {
                // the connection went away: end this direction too
            }
            line.add(END);
        }, "read " + from.getPort());
        Thread writer = new Thread(() -> {
            try {
                OutputStream out = to.getOutputStream();
                for (Chunk chunk = line.take(); chunk != END; chunk = line.take()) {
                    for (long left; (left = chunk.dueNanos() - System.nanoTime()) > 0; ) {
                        LockSupport.parkNanos(left);
                    }
                    out.write(chunk.bytes());
                }
                to.shutdownOutput();
                if (open.decrementAndGet() == 0) {
                    close(from, to);
                }
            } catch (IOException | InterruptedException gone) {
                close(from, to);
            }
        }, "write " + to.getPort());
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    private static void close(Socket a, Socket b) {
        for (Socket socket : new Socket[] {a, b}) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
