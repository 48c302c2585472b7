package io.kafkube.api.view;

import java.util.Arrays;
import java.util.Optional;

/**
 * Where the view stands: for each partition of {@code history}, the offset of the next change it
 * will apply. Handed to clients as the opaque resourceVersion of lists and bookmarks
 * ({@code k1-<offset>-<offset>-…}) and accepted back by watch and continue.
 */
public record Position(long[] offsets) {
  private static final String PREFIX = "k1-";

  public Position {
    offsets = offsets.clone();
  }

  public long offset(int partition) {
    return offsets[partition];
  }

  public int partitions() {
    return offsets.length;
  }

  /** The opaque resourceVersion string. */
  public String encode() {
    StringBuilder sb = new StringBuilder(PREFIX);
    for (int i = 0; i < offsets.length; i++) {
      if (i > 0) {
        sb.append('-');
      }
      sb.append(offsets[i]);
    }
    return sb.toString();
  }

  /** Whether {@code rv} looks like a position (as opposed to an object's revision). */
  public static boolean isPosition(String rv) {
    return rv != null && rv.startsWith(PREFIX);
  }

  /** Decodes a position of a view with {@code partitions} partitions; empty when malformed. */
  public static Optional<Position> decode(String rv, int partitions) {
    if (!isPosition(rv)) {
      return Optional.empty();
    }
    String[] parts = rv.substring(PREFIX.length()).split("-", -1);
    if (parts.length != partitions) {
      return Optional.empty();
    }
    long[] o = new long[partitions];
    try {
      for (int i = 0; i < partitions; i++) {
        o[i] = Long.parseLong(parts[i]);
        if (o[i] < 0) {
          return Optional.empty();
        }
      }
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.of(new Position(o));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Position p && Arrays.equals(offsets, p.offsets);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(offsets);
  }

  @Override
  public String toString() {
    return encode();
  }
}
