package dev.baler.testing;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads Parquet files with DuckDB, a reader that shares no code with Baler's Parquet engine, so
 * that tests can check what Baler wrote against what it read.
 *
 * <p>Every call opens its own in-memory DuckDB database through JDBC ({@code jdbc:duckdb:}), with
 * automatic installing and loading of extensions turned off (the Parquet reader is built in), and
 * closes it before returning; the session time zone is UTC. Files are local paths; a path is read
 * as given, so it must not contain the glob characters {@code *}, {@code ?} or {@code [}. Several
 * files are read as one table, as {@code read_parquet} does by default: columns are matched by
 * name, every file must have the first file's columns, and values are cast to the first file's
 * types (so a reading of files whose types differ can depend on which file comes first).
 *
 * <p>Instances hold no state and are thread-safe.
 */
public final class DuckDbVerifier {
  private static final String URL = "jdbc:duckdb:";

  /** Makes a verifier; no database is opened until a method is called. */
  public DuckDbVerifier() {}

  /**
   * Counts and fingerprints every row of {@code files}, read as one table.
   *
   * <p>The result does not depend on the order of {@code files}, of the rows within them, or on how
   * rows are spread over files and row groups. A file listed twice is read twice.
   *
   * @param files Parquet files; an empty list gives {@link RowMultiset#EMPTY}
   * @throws IllegalArgumentException if a path contains a glob character
   * @throws IOException if DuckDB cannot read a file, naming the files
   */
  public RowMultiset rows(List<Path> files) throws IOException {
    return multiset(files, "read_parquet(%s)");
  }

  /**
   * Counts and fingerprints the distinct rows of {@code files}, read as one table: every row that
   * occurs more than once counts once.
   *
   * @param files Parquet files; an empty list gives {@link RowMultiset#EMPTY}
   * @throws IllegalArgumentException if a path contains a glob character
   * @throws IOException if DuckDB cannot read a file, naming the files
   */
  public RowMultiset distinctRows(List<Path> files) throws IOException {
    return multiset(files, "(SELECT DISTINCT * FROM read_parquet(%s))");
  }

  /**
   * Describes the Parquet schema in the footer of {@code file}, one line per schema element, so
   * that two files can be compared with {@code equals}.
   *
   * <p>The first line is {@code message}: the root element's name, which only tells which library
   * wrote the file ({@code schema}, {@code duckdb_schema}, {@code root}), is left out. Every other
   * element gets one line, indented two spaces per level of nesting, with its repetition, its
   * physical type or {@code group}, its name, and where present {@code length=} (fixed-length byte
   * arrays), {@code converted=}, {@code logical=} (as DuckDB prints it), {@code scale=}, {@code
   * precision=} and {@code field_id=}. Key-value metadata and encodings are not part of it.
   *
   * @throws IllegalArgumentException if the path contains a glob character
   * @throws IOException if DuckDB cannot read the footer, naming the file
   */
  public String schema(Path file) throws IOException {
    String path = checkedPath(file);
    String query =
        "SELECT name, type, type_length, repetition_type, num_children, converted_type, scale,"
            + " precision, field_id, logical_type FROM parquet_schema(?) ORDER BY column_id";
    try (Connection connection = connect();
        PreparedStatement statement = connection.prepareStatement(query)) {
      statement.setString(1, path);
      try (ResultSet result = statement.executeQuery()) {
        return describe(result);
      }
    } catch (SQLException e) {
      throw new IOException("Cannot read the Parquet schema of " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Lists every regular file under {@code directory}, at any depth, whose name ends in {@code
   * .parquet} or {@code .parq}, sorted by path.
   *
   * @throws IOException if the directory does not exist or cannot be walked
   */
  public static List<Path> parquetFilesUnder(Path directory) throws IOException {
    requireNonNull(directory, "directory is null");
    try (Stream<Path> paths = Files.walk(directory)) {
      return paths
          .filter(Files::isRegularFile)
          .filter(
              path -> {
                String name = path.getFileName().toString();
                return name.endsWith(".parquet") || name.endsWith(".parq");
              })
          .sorted()
          .collect(Collectors.toUnmodifiableList());
    }
  }

  private RowMultiset multiset(List<Path> files, String source) throws IOException {
    requireNonNull(files, "files is null");
    if (files.isEmpty()) {
      return RowMultiset.EMPTY;
    }
    List<String> paths = files.stream().map(DuckDbVerifier::checkedPath).toList();
    String placeholders = String.join(", ", Collections.nCopies(paths.size(), "?"));
    // hash(t) alone would not see a null list become an empty one, [NULL] become [], or a null
    // struct become one of nulls; the text of the row does, and names each value's column.
    String query =
        "SELECT count(*), coalesce(sum(hash(t::VARCHAR)::HUGEINT), 0)::VARCHAR FROM "
            + String.format(Locale.ROOT, source, "[" + placeholders + "]")
            + " t";
    try (Connection connection = connect();
        PreparedStatement statement = connection.prepareStatement(query)) {
      for (int index = 0; index < paths.size(); index++) {
        statement.setString(index + 1, paths.get(index));
      }
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return new RowMultiset(result.getLong(1), new BigInteger(result.getString(2)));
      }
    } catch (SQLException e) {
      throw new IOException("Cannot read the rows of " + paths + ": " + e.getMessage(), e);
    }
  }

  private static String describe(ResultSet result) throws SQLException {
    StringBuilder description = new StringBuilder("message");
    // Remaining children of each open group, innermost last; the schema is a depth-first list.
    Deque<Long> remaining = new ArrayDeque<>();
    boolean root = true;
    while (result.next()) {
      long children = result.getLong("num_children");
      if (root) {
        root = false;
        remaining.push(children);
        continue;
      }
      description.append('\n').append("  ".repeat(remaining.size()));
      String repetition = result.getString("repetition_type");
      String type = result.getString("type");
      description
          .append(repetition == null ? "" : repetition.toLowerCase(Locale.ROOT))
          .append(' ')
          .append(type == null ? "group" : type)
          .append(' ')
          .append(result.getString("name"));
      appendIfPresent(description, "length", result.getString("type_length"));
      appendIfPresent(description, "converted", result.getString("converted_type"));
      appendIfPresent(description, "logical", result.getString("logical_type"));
      appendIfPresent(description, "scale", result.getString("scale"));
      appendIfPresent(description, "precision", result.getString("precision"));
      appendIfPresent(description, "field_id", result.getString("field_id"));
      if (!remaining.isEmpty()) {
        remaining.push(remaining.pop() - 1);
      }
      if (children > 0) {
        remaining.push(children);
      }
      while (!remaining.isEmpty() && remaining.peek() == 0) {
        remaining.pop();
      }
    }
    if (root) {
      throw new SQLException("parquet_schema returned no elements");
    }
    return description.toString();
  }

  private static void appendIfPresent(StringBuilder description, String label, String value) {
    if (value != null) {
      description.append(' ').append(label).append('=').append(value);
    }
  }

  /**
   * Asks DuckDB's {@code parquet_bloom_probe} whether the bloom filter of {@code column} rules
   * {@code value} out, row group by row group: true for a row group whose filter excludes it, false
   * for one whose filter may hold it or that has no filter.
   *
   * @param column the dotted path of a leaf column, such as {@code location.lat}
   * @param value a value of the column's type, such as a {@code Long} or a {@code String}
   * @return one answer per row group, in row group order
   * @throws IOException if DuckDB cannot read the file
   */
  public List<Boolean> bloomFilterExcludes(Path file, String column, Object value)
      throws IOException {
    String sql =
        "SELECT bloom_filter_excludes FROM parquet_bloom_probe(?, ?, ?) ORDER BY row_group_id";
    try (Connection connection = connect();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, checkedPath(file));
      statement.setString(2, column);
      statement.setObject(3, value);
      List<Boolean> excludes = new ArrayList<>();
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          excludes.add(result.getBoolean(1));
        }
      }
      return excludes;
    } catch (SQLException e) {
      throw new IOException("Cannot probe the bloom filter of " + column + " in " + file, e);
    }
  }

  private static String checkedPath(Path file) {
    requireNonNull(file, "file is null");
    String path = file.toAbsolutePath().toString();
    for (char glob : new char[] {'*', '?', '['}) {
      if (path.indexOf(glob) >= 0) {
        throw new IllegalArgumentException(
            "Invalid Parquet file path " + path + ": DuckDB would read '" + glob + "' as a glob");
      }
    }
    return path;
  }

  private static Connection connect() throws SQLException {
    Connection connection = DriverManager.getConnection(URL);
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET autoinstall_known_extensions=false");
      statement.execute("SET autoload_known_extensions=false");
      // Rows are fingerprinted as text, and time stamps with a time zone print in this one.
      statement.execute("SET TimeZone='UTC'");
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
  }
}
