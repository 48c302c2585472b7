package io.kafkube.scheduler.internal;

/**
 * A pod this scheduler bound but has not yet seen bound: the pod's uid, the node, and when the
 * BIND was sent. Stored as {@code uid \t node \t epochMs}.
 */
record Assumption(String uid, String node, long sentAt) {
  String encode() {
    return uid + "\t" + node + "\t" + sentAt;
  }

  static Assumption decode(String s) {
    String[] parts = s.split("\t", 3);
    if (parts.length != 3) {
      throw new IllegalArgumentException("not an assumption: " + s);
    }
    return new Assumption(parts[0], parts[1], Long.parseLong(parts[2]));
  }
}
