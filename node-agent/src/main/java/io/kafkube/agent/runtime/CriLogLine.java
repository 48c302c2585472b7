package io.kafkube.agent.runtime;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One entry of a container log in kubelet's CRI format: {@code <RFC3339Nano time> <stream> <tag> <text>},
 * where the tag is {@code F} for a full line and {@code P} for a part of a longer (or unterminated) one.
 *
 * @param text the entry's text, without the line break of a full line
 */
public record CriLogLine(Instant time, String stream, boolean partial, String text) {

  /** Parses one line of a CRI log file (without its line break); null when it is not one. */
  public static CriLogLine parse(String line) {
    int a = line.indexOf(' ');
    int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
    int c = b < 0 ? -1 : line.indexOf(' ', b + 1);
    if (c < 0) {
      return null;
    }
    String tag = line.substring(b + 1, c);
    if (!tag.equals("F") && !tag.equals("P")) {
      return null;
    }
    try {
      return new CriLogLine(Instant.parse(line.substring(0, a)), line.substring(a + 1, b), tag.equals("P"),
          line.substring(c + 1));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** What the container printed: the text, with its line break unless partial. */
  public String output() {
    return partial ? text : text + "\n";
  }
}
