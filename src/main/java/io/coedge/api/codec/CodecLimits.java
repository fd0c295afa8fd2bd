package io.coedge.api.codec;

/**
 * Bounds the request decoder checks before it allocates anything.
 *
 * <p>Which status a breach gets: a limit the client's declared {@code shape} breaks (rank, element count,
 * element count × element size) is a 400, because the shape itself is what is wrong and no smaller body
 * would fix it. A limit only the actual content can break (one BYTES element longer than
 * {@code maxStringBytes}, a BYTES tensor whose strings add up to more than {@code maxTensorBytes}) is a 413.
 *
 * @param maxTensors           most inputs, and most requested outputs, in one request
 * @param maxElementsPerTensor most elements one input may declare
 * @param maxTensorBytes       most bytes one input may occupy (BYTES: 4-byte length prefix + content per
 *                             element, as in the binary layout); at most {@link #MAX_BUFFER_BYTES}
 * @param maxRank              most dimensions in a shape
 * @param maxNestingDepth      deepest JSON nesting the parser accepts anywhere in the body; must leave
 *                             room for a tensor of {@code maxRank} ({@code maxRank + 3}), since
 *                             {@code {"inputs":[{"data":[[...]]}]}} adds three levels above the data
 * @param maxStringBytes       most UTF-8 bytes in one BYTES element
 */
public record CodecLimits(
    int maxTensors,
    long maxElementsPerTensor,
    long maxTensorBytes,
    int maxRank,
    int maxNestingDepth,
    int maxStringBytes) {

  public static final int DEFAULT_MAX_TENSORS = 64;
  public static final long DEFAULT_MAX_ELEMENTS_PER_TENSOR = 16_777_216L;
  public static final long DEFAULT_MAX_TENSOR_BYTES = 64L << 20;
  public static final int DEFAULT_MAX_RANK = 8;
  public static final int DEFAULT_MAX_NESTING_DEPTH = 16;
  public static final int DEFAULT_MAX_STRING_BYTES = 1 << 20;
  /** A tensor lives in one heap {@link java.nio.ByteBuffer}, so it cannot be larger than an array. */
  public static final long MAX_BUFFER_BYTES = Integer.MAX_VALUE - 8;

  public static final CodecLimits DEFAULTS = new CodecLimits(DEFAULT_MAX_TENSORS, DEFAULT_MAX_ELEMENTS_PER_TENSOR,
      DEFAULT_MAX_TENSOR_BYTES, DEFAULT_MAX_RANK, DEFAULT_MAX_NESTING_DEPTH, DEFAULT_MAX_STRING_BYTES);

  public CodecLimits {
    positive("maxTensors", maxTensors);
    positive("maxElementsPerTensor", maxElementsPerTensor);
    positive("maxTensorBytes", maxTensorBytes);
    positive("maxRank", maxRank);
    positive("maxNestingDepth", maxNestingDepth);
    positive("maxStringBytes", maxStringBytes);
    if (maxTensorBytes > MAX_BUFFER_BYTES) {
      throw new IllegalArgumentException("maxTensorBytes must be at most " + MAX_BUFFER_BYTES + ", got "
          + maxTensorBytes);
    }
    if (maxNestingDepth < maxRank + 3) {
      throw new IllegalArgumentException("maxNestingDepth must be at least maxRank + 3 = " + (maxRank + 3)
          + " so a tensor of maxRank can be sent nested, got " + maxNestingDepth);
    }
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
