package io.netprobe.agent.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@code args} object of a request, read with checks that name the field and say what would be
 * valid: {@code "args.port: expected an integer 1..65535, got \"http\""}.
 */
public final class Args {
  private final JsonNode node;

  public Args(JsonNode node) {
    this.node = node == null || node.isNull() ? JsonNodeFactory.instance.objectNode() : node;
    if (!this.node.isObject()) {
      throw BadRequestException.field("args", "args must be a JSON object, got " + node);
    }
  }

  /**
   * Args from plain values (strings, numbers, booleans, lists of strings), as a caller in the same
   * JVM has them: the same checks as a request's JSON gets, without writing and reading it.
   */
  public static Args of(java.util.Map<String, ?> values) {
    com.fasterxml.jackson.databind.node.ObjectNode node = JsonNodeFactory.instance.objectNode();
    values.forEach((field, value) -> node.set(field, nodeOf(field, value)));
    return new Args(node);
  }

  private static JsonNode nodeOf(String field, Object value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (value == null) {
      return f.nullNode();
    } else if (value instanceof String s) {
      return f.textNode(s);
    } else if (value instanceof Integer i) {
      return f.numberNode(i);
    } else if (value instanceof Long l) {
      return f.numberNode(l);
    } else if (value instanceof Boolean b) {
      return f.booleanNode(b);
    } else if (value instanceof java.util.Collection<?> items) {
      com.fasterxml.jackson.databind.node.ArrayNode array = f.arrayNode();
      items.forEach(item -> array.add(nodeOf(field, item)));
      return array;
    }
    throw new IllegalArgumentException(
        "args." + field + ": " + value.getClass().getSimpleName() + " is not a JSON value here");
  }

  public boolean has(String field) {
    return node.hasNonNull(field);
  }

  public String string(String field) {
    if (!has(field)) {
      throw BadRequestException.field("args." + field, "args." + field + " is missing");
    }
    JsonNode value = node.get(field);
    if (!value.isTextual() || value.asText().isBlank()) {
      throw BadRequestException.field(
          "args." + field, "args." + field + ": expected a non-empty string, got " + value);
    }
    return value.asText();
  }

  public String string(String field, String fallback) {
    return has(field) ? string(field) : fallback;
  }

  /** A string or an array of strings, as a list; empty when the field is absent. */
  public java.util.List<String> strings(String field) {
    if (!has(field)) {
      return java.util.List.of();
    }
    JsonNode value = node.get(field);
    if (value.isTextual()) {
      return java.util.List.of(string(field));
    }
    if (!value.isArray()) {
      throw BadRequestException.field(
          "args." + field, "args." + field + ": expected a string or an array of strings");
    }
    java.util.List<String> out = new java.util.ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual() || item.asText().isBlank()) {
        throw BadRequestException.field(
            "args." + field, "args." + field + ": expected strings, got " + item);
      }
      out.add(item.asText());
    }
    return out;
  }

  public int integer(String field, int min, int max) {
    if (!has(field)) {
      throw BadRequestException.field(
          "args." + field,
          "args." + field + " is missing: expected an integer " + min + ".." + max);
    }
    JsonNode value = node.get(field);
    if (!value.canConvertToInt() || !value.isIntegralNumber()) {
      throw BadRequestException.field(
          "args." + field,
          "args." + field + ": expected an integer " + min + ".." + max + ", got " + value);
    }
    int v = value.intValue();
    if (v < min || v > max) {
      throw BadRequestException.field(
          "args." + field, "args." + field + " out of range " + min + ".." + max + ": " + v);
    }
    return v;
  }

  public int integer(String field, int min, int max, int fallback) {
    return has(field) ? integer(field, min, max) : fallback;
  }

  public boolean bool(String field, boolean fallback) {
    if (!has(field)) {
      return fallback;
    }
    JsonNode value = node.get(field);
    if (!value.isBoolean()) {
      throw BadRequestException.field(
          "args." + field, "args." + field + ": expected true or false, got " + value);
    }
    return value.booleanValue();
  }

  /** A string naming one constant of the enum, case-insensitive. */
  public <E extends Enum<E>> E choice(String field, Class<E> type, E fallback) {
    if (!has(field)) {
      if (fallback == null) {
        throw BadRequestException.field(
            "args." + field, "args." + field + " is missing: expected one of " + names(type));
      }
      return fallback;
    }
    String raw = string(field);
    try {
      return Enum.valueOf(type, raw.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw BadRequestException.field(
          "args." + field,
          "args." + field + ": unknown value \"" + raw + "\", expected one of " + names(type));
    }
  }

  private static String names(Class<? extends Enum<?>> type) {
    return Arrays.toString(
        Arrays.stream(type.getEnumConstants())
            .map(e -> e.name().toLowerCase(Locale.ROOT))
            .toArray());
  }
}
