package io.kafkube.store.internal;

import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Completes {@code metadata.generateName} with a random suffix, as kube-apiserver does (five
 * characters from an alphabet without vowels). Two constraints are specific to a partitioned store:
 * the full key must fall in the partition that processes the command (so the store task that owns
 * the name also owns the object), and the choice must be the same when the command is processed
 * again after a crash (the random source is seeded with the command's revision).
 */
final class NameGenerator {
  private static final char[] ALPHABET = "bcdfghjklmnpqrstvwxz2456789".toCharArray();
  private static final int SUFFIX = 5;
  private static final int MAX_ATTEMPTS = 10_000;

  private NameGenerator() {}

  /**
   * @param base      the generateName prefix (Kubernetes truncates it so the name stays ≤ 63)
   * @param keyOf     the object key of a candidate name
   * @param partition the partition that must own the key
   * @param taken     whether a key is already in use
   * @return the name, or null when no free name was found (the caller answers Conflict)
   */
  static String generate(String base, java.util.function.Function<String, String> keyOf, int partition,
      int partitions, long revision, Predicate<String> taken) {
    String prefix = base.length() > 58 ? base.substring(0, 58) : base;
    SplittableRandom random = new SplittableRandom(revision * 31 + base.hashCode());
    StringBuilder sb = new StringBuilder(prefix.length() + SUFFIX);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      sb.setLength(0);
      sb.append(prefix);
      for (int i = 0; i < SUFFIX; i++) {
        sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
      }
      String name = sb.toString();
      String key = keyOf.apply(name);
      if (Partitions.of(key, partitions) == partition && !taken.test(key)) {
        return name;
      }
    }
    return null;
  }
}
