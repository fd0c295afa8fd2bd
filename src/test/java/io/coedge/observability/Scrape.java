package io.coedge.observability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Prometheus text exposition, parsed into samples (comments skipped), for tests that read {@code /metrics}. */
public final class Scrape {

  /** One sample line: {@code name{k="v",...} value}. */
  public record Sample(String name, Map<String, String> labels, double value) {
  }

  private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  private final List<Sample> samples;

  private Scrape(List<Sample> samples) {
    this.samples = samples;
  }

  public static Scrape parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
    }
    return new Scrape(out);
  }

  public List<Sample> samples(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  /** The label key sets the samples called {@code name} carry (sorted keys, e.g. {@code [model, version]}). */
  public Set<Set<String>> labelKeys(String name) {
    Set<Set<String>> out = new java.util.HashSet<>();
    samples(name).forEach(s -> out.add(new TreeSet<>(s.labels().keySet())));
    return out;
  }

  /** Sum of the samples called {@code name} whose labels include every given pair. */
  public double sum(String name, Map<String, String> having) {
    return samples(name).stream().filter(s -> s.labels().entrySet().containsAll(having.entrySet()))
        .mapToDouble(Sample::value).sum();
  }
}
