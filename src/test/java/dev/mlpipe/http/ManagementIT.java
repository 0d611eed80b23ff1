package dev.mlpipe.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.mlpipe.support.ServiceProcess;
import dev.mlpipe.support.ShippedJar;

/**
 * The packaged service's management interface: where the public port listens, not on every interface; in production
 * its operator endpoints ask for an account, its health checks do not; a worker without passwords starts, on loopback.
 */
class ManagementIT {

    /** This machine's address on its network: the first non-loopback IPv4 address of an interface that is up. */
    private static InetAddress external() throws IOException {
        Optional<InetAddress> found = NetworkInterface.networkInterfaces().filter(ManagementIT::up)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()).findFirst();
        assertThat(found).as("a non-loopback address to try the ports on").isPresent();
        return found.get();
    }

    private static boolean up(NetworkInterface network) {
        try {
            return network.isUp();
        } catch (IOException e) {
            return false;
        }
    }

    private static void unreachable(InetAddress address, int port) {
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 2_000);
            }
        }).as(address + ":" + port).isInstanceOf(IOException.class);
    }

    @Test
    @ExtendWith(ShippedJar.class)
    void itListensWhereThePublicPortDoesAndItsOperatorEndpointsAskForAnAccount(ServiceProcess app) throws Exception {
        unreachable(external(), app.managementPort());

        assertThat(app.probe("/q/health/ready").statusCode()).as("probes need no account").isEqualTo(200);
        assertThat(app.probe("/q/health/live").statusCode()).isEqualTo(200);
        assertThat(app.probe("/q/metrics").statusCode()).isEqualTo(401);
        assertThat(app.probe("/q/openapi").statusCode()).isEqualTo(401);
        assertThat(app.probe("/q/metrics", "viewer", ShippedJar.VIEWER_PASSWORD).statusCode()).isEqualTo(200);
        assertThat(app.probe("/q/metrics", "viewer", "guess").statusCode()).isEqualTo(401);
    }

    @Test
    void aWorkerWithoutPasswordsStartsAndListensOnLoopbackOnly() throws Exception {
        try (ServiceProcess worker = ServiceProcess.startWhereItChooses("management-worker", "mlpipe.role=worker")
                .awaitReady()) {
            InetAddress external = external();
            unreachable(external, worker.managementPort());
            unreachable(external, worker.port());
            assertThat(worker.probe("/q/metrics").statusCode()).as("no account to ask for").isEqualTo(200);
        }
    }
}
