package io.coedge.inference;

/** An output the client asked for, and whether it wants it in the binary section of the response. */
public record RequestedOutput(String name, boolean binary) {
}
