package dev.skinnywhale.packages;

/**
 * Budgets on what a package database of the image may cost to read; exceeding one is a {@link
 * PackageDbException} naming the file and the limit.
 *
 * @param maxFileBytes the largest database file read (the status file, one .list or md5sums file)
 * @param maxTotalBytes all database files together
 * @param maxPackages packages in one database
 * @param maxPaths file paths over all packages
 * @param maxLineChars the longest line
 * @param maxFields fields in one record
 */
public record DbLimits(
    long maxFileBytes,
    long maxTotalBytes,
    int maxPackages,
    int maxPaths,
    int maxLineChars,
    int maxFields) {
  /** Far above any real distribution image (Debian's biggest images hold ~5,000 packages). */
  public static final DbLimits DEFAULT =
      new DbLimits(64L << 20, 1L << 30, 50_000, 5_000_000, 1 << 20, 1_000);

  public DbLimits {
    if (maxFileBytes <= 0
        || maxTotalBytes <= 0
        || maxPackages <= 0
        || maxPaths <= 0
        || maxLineChars <= 0
        || maxFields <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }
}
