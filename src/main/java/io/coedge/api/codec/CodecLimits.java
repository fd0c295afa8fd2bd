package io.coedge.api.codec;

/** TEMPORARY STUB until the codec branch lands. */
public record CodecLimits(int maxTensors) {
  public static final CodecLimits DEFAULTS = new CodecLimits(64);
}
