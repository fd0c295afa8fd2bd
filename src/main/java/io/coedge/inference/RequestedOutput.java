package io.coedge.inference;

/**
 * An output the client asked for, whether it wants it in the binary section of the response, and
 * {@code classCount}: with K > 0 (Triton's classification extension) the answer is the top K classes of the
 * output as {@code "score:index[:label]"} BYTES instead of the output itself; 0 = the output as it is.
 */
public record RequestedOutput(String name, boolean binary, int classCount) {

  public RequestedOutput(String name, boolean binary) {
    this(name, binary, 0);
  }

  public RequestedOutput withBinary(boolean binary) {
    return new RequestedOutput(name, binary, classCount);
  }
}
