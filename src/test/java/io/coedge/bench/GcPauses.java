package io.coedge.bench;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stop-the-world pauses of a JVM's {@code -Xlog:gc} file, counted inside a window of the JVM's uptime and from
 * its start. A goal such as "no pause over 10 ms in a 60 s run" is about the run, not about class loading at
 * start-up, so the window matters; the longest pause since start is printed next to it as context.
 *
 * <p>Lines carry the default decorations, uptime first: {@code [12.345s][info][gc] GC(7) Pause Young (Allocation
 * Failure) 40M->3M(123M) 1.234ms}. A pause is logged when it ends; it counts in the window when any part of it
 * (its end minus its length) falls inside. The window's ends come from the same clock, {@code jcmd PID VM.uptime}.
 *
 * <pre>GcPauses --log FILE --from S --to S</pre>
 */
final class GcPauses {

  static final String USAGE = "--log FILE --from UPTIME_S --to UPTIME_S";
  private static final Pattern PAUSE =
      Pattern.compile("^\\[(\\d+(?:\\.\\d+)?)s\\].*\\bPause\\b.*\\s(\\d+(?:\\.\\d+)?)ms\\s*$");

  private GcPauses() {
  }

  /** One pause: the JVM's uptime when it ended (s) and its length (ms). */
  record Pause(double endS, double millis) {

    boolean overlaps(double fromS, double toS) {
      return endS >= fromS && endS - millis / 1000 <= toS;
    }
  }

  /** What a window holds; a longest of 0 when there was no pause. */
  record Summary(double fromS, double toS, int inWindow, double longestInWindowMs, int total, double longestTotalMs,
      double longestTotalAtS) {

    JsonObject toJson() {
      return new JsonObject().put("tool", "GcPauses").put("from_s", fromS).put("to_s", toS)
          .put("window_s", Math.round((toS - fromS) * 10) / 10.0).put("pauses_in_window", inWindow)
          .put("longest_in_window_ms", longestInWindowMs).put("pauses_total", total)
          .put("longest_total_ms", longestTotalMs).put("longest_total_at_s", longestTotalAtS);
    }
  }

  public static void main(String[] args) {
    BenchArgs.run("GcPauses", USAGE, () -> {
      BenchArgs a = new BenchArgs(args, Set.of("log", "from", "to"));
      Path log = Path.of(a.string("log", null));
      if (!Files.isRegularFile(log)) {
        throw new IllegalArgumentException("--log " + log + ": not a readable file");
      }
      double from = a.number("from", Double.NaN, 0, 1e9);
      double to = a.number("to", Double.NaN, 0, 1e9);
      System.out.println(summarise(parse(Files.readAllLines(log)), from, to).toJson().encode());
    });
  }

  /** The pause lines of a GC log, in order; every other line (heap sizes, concurrent phases) is skipped. */
  static List<Pause> parse(List<String> lines) {
    List<Pause> pauses = new ArrayList<>();
    for (String line : lines) {
      Matcher m = PAUSE.matcher(line);
      if (m.matches()) {
        pauses.add(new Pause(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))));
      }
    }
    return pauses;
  }

  static Summary summarise(List<Pause> pauses, double fromS, double toS) {
    if (Double.isNaN(fromS) || Double.isNaN(toS) || toS < fromS) {
      throw new IllegalArgumentException("--from " + fromS + " --to " + toS + ": both required, from <= to");
    }
    int in = 0;
    double longestIn = 0;
    double longest = 0;
    double longestAt = 0;
    for (Pause p : pauses) {
      if (p.overlaps(fromS, toS)) {
        in++;
        longestIn = Math.max(longestIn, p.millis());
      }
      if (p.millis() > longest) {
        longest = p.millis();
        longestAt = p.endS();
      }
    }
    return new Summary(fromS, toS, in, longestIn, pauses.size(), longest, longestAt);
  }
}
