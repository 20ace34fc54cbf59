package dev.skinnywhale.tar;

/** {@link RawTar} for tests of other packages. */
public final class RawTarAccess {
  private final RawTar raw = new RawTar();

  public RawTarAccess entry(String name, char type, String data, String link) {
    raw.entry(name, type, data, link);
    return this;
  }

  public RawTarAccess end() {
    raw.end();
    return this;
  }

  public byte[] bytes() {
    return raw.bytes();
  }
}
