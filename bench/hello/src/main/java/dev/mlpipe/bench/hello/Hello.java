package dev.mlpipe.bench.hello;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** The reference application's one endpoint: what a Quarkus REST service costs to start before it does anything. */
@Path("/hello")
public class Hello {

    @GET
    public String hello() {
        return "hello";
    }
}
