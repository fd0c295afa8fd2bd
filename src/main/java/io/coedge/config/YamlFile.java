package io.coedge.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a config file strictly: a mapping of sections, no key twice, scalars or lists of scalars as values. A
 * syntax error is one line with the file, line and column, never an echo of the file's text (it may hold secrets).
 */
final class YamlFile {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private YamlFile() {
  }

  /** The file's values by dotted key; the keys whose value was a YAML list are added to {@code lists}. */
  static Map<String, String> read(Path file, Set<String> lists) {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw new ConfigException("config file " + file + where(e.getLocation()) + ": " + firstLine(e));
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
    Map<String, String> out = new LinkedHashMap<>();
    if (root != null && !root.isMissingNode() && !root.isNull()) {
      if (!root.isObject()) {
        throw new ConfigException("config file " + file + " must be a YAML mapping of sections (node:, http:, ...)");
      }
      flatten(file, "", root, out, lists);
    }
    return out;
  }

  private static void flatten(Path file, String prefix, JsonNode node, Map<String, String> out, Set<String> lists) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(file, prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out, lists);
      }
    } else if (node.isArray()) {
      List<String> items = new ArrayList<>();
      for (JsonNode n : node) {
        if (!n.isValueNode()) {
          throw new ConfigException("config file " + file + ": key '" + prefix
              + "' holds a list of mappings or lists; allowed: a value or a list of values");
        }
        items.add(n.asText());
      }
      out.put(prefix, String.join(",", items));
      lists.add(prefix);
    } else {
      out.put(prefix, node.isNull() ? "" : node.asText());
    }
  }

  private static String where(JsonLocation at) {
    return at == null || at.getLineNr() < 0 ? "" : " line " + at.getLineNr() + " column " + at.getColumnNr();
  }

  /** The parser's own words without its excerpt of the file: the first line, without a trailing "at [Source". */
  private static String firstLine(JsonProcessingException e) {
    String m = String.valueOf(e.getOriginalMessage()).strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl).strip();
  }
}
