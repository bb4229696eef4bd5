package dev.baler.testing;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON text into plain Java values, enough for the fixture manifest without a JSON library
 * on the class path of every module that uses the fixtures.
 *
 * <p>Objects become unmodifiable {@code Map<String, Object>} in document order, arrays unmodifiable
 * {@code List<Object>}, strings {@code String}, numbers {@code Long} when they are integers that
 * fit and {@code BigDecimal} otherwise, {@code true}/{@code false} {@code Boolean}, and {@code
 * null} Java {@code null}. Not thread-safe; use one instance per text.
 */
final class JsonReader {
  private final String text;
  private int position;

  private JsonReader(String text) {
    this.text = requireNonNull(text, "text is null");
  }

  /**
   * Parses one JSON value that makes up the whole text.
   *
   * @throws IllegalArgumentException if the text is not valid JSON
   */
  static Object read(String text) {
    JsonReader reader = new JsonReader(text);
    Object value = reader.value();
    reader.skipWhitespace();
    if (reader.position != text.length()) {
      throw reader.invalid("trailing characters");
    }
    return value;
  }

  private Object value() {
    skipWhitespace();
    if (position >= text.length()) {
      throw invalid("unexpected end");
    }
    return switch (text.charAt(position)) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> number();
    };
  }

  private Map<String, Object> object() {
    expect('{');
    Map<String, Object> members = new LinkedHashMap<>();
    skipWhitespace();
    if (consume('}')) {
      return Collections.unmodifiableMap(members);
    }
    do {
      skipWhitespace();
      String name = string();
      skipWhitespace();
      expect(':');
      if (members.containsKey(name)) {
        throw invalid("duplicate member '" + name + "'");
      }
      members.put(name, value());
      skipWhitespace();
    } while (consume(','));
    expect('}');
    return Collections.unmodifiableMap(members);
  }

  private List<Object> array() {
    expect('[');
    List<Object> elements = new ArrayList<>();
    skipWhitespace();
    if (consume(']')) {
      return Collections.unmodifiableList(elements);
    }
    do {
      elements.add(value());
      skipWhitespace();
    } while (consume(','));
    expect(']');
    return Collections.unmodifiableList(elements);
  }

  private String string() {
    expect('"');
    StringBuilder builder = new StringBuilder();
    while (true) {
      if (position >= text.length()) {
        throw invalid("unterminated string");
      }
      char next = text.charAt(position++);
      if (next == '"') {
        return builder.toString();
      }
      if (next != '\\') {
        builder.append(next);
        continue;
      }
      if (position >= text.length()) {
        throw invalid("unterminated escape");
      }
      char escaped = text.charAt(position++);
      switch (escaped) {
        case '"', '\\', '/' -> builder.append(escaped);
        case 'b' -> builder.append('\b');
        case 'f' -> builder.append('\f');
        case 'n' -> builder.append('\n');
        case 'r' -> builder.append('\r');
        case 't' -> builder.append('\t');
        case 'u' -> {
          if (position + 4 > text.length()) {
            throw invalid("short unicode escape");
          }
          try {
            builder.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
          } catch (NumberFormatException e) {
            throw invalid("bad unicode escape");
          }
          position += 4;
        }
        default -> throw invalid("bad escape '\\" + escaped + "'");
      }
    }
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, position)) {
      throw invalid("expected " + word);
    }
    position += word.length();
    return value;
  }

  private Object number() {
    int start = position;
    while (position < text.length() && "+-0123456789.eE".indexOf(text.charAt(position)) >= 0) {
      position++;
    }
    String digits = text.substring(start, position);
    if (digits.isEmpty()) {
      throw invalid("unexpected character '" + text.charAt(start) + "'");
    }
    try {
      BigDecimal number = new BigDecimal(digits);
      if (digits.indexOf('.') < 0 && digits.indexOf('e') < 0 && digits.indexOf('E') < 0) {
        try {
          return number.longValueExact();
        } catch (ArithmeticException tooLarge) {
          return number;
        }
      }
      return number;
    } catch (NumberFormatException e) {
      throw invalid("bad number '" + digits + "'");
    }
  }

  private void skipWhitespace() {
    while (position < text.length() && " \t\r\n".indexOf(text.charAt(position)) >= 0) {
      position++;
    }
  }

  private boolean consume(char expected) {
    if (position < text.length() && text.charAt(position) == expected) {
      position++;
      return true;
    }
    return false;
  }

  private void expect(char expected) {
    if (!consume(expected)) {
      throw invalid("expected '" + expected + "'");
    }
  }

  private IllegalArgumentException invalid(String reason) {
    return new IllegalArgumentException("Invalid JSON at character " + position + ": " + reason);
  }
}
