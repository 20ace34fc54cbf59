package dev.skinnywhale.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileStoreTest {
  @TempDir Path work;
  @TempDir Path home;

  private final ProfileJson json = new ProfileJson();

  private void put(Path dir, String name, String comment) throws Exception {
    Files.createDirectories(dir);
    Profile p =
        new Profile(
            Profile.SCHEMA_VERSION,
            name,
            comment,
            Optional.empty(),
            TracerKind.HAND_WRITTEN,
            List.of(),
            List.of(),
            List.of(ProfileEntry.of("/etc/hosts", EntryType.FILE, Why.INCLUDE)));
    Files.writeString(dir.resolve(name + ".json"), json.write(p));
  }

  private Path userDir() {
    return home.resolve(".skinnywhale/profiles");
  }

  private ProfileStore store() {
    return new ProfileStore(work, Optional.of(home), Optional.empty(), getClass().getClassLoader());
  }

  @Test
  void load_projectBeforeUserBeforeShipped() throws Exception {
    put(work.resolve("profiles"), "jvm", "project jvm");
    put(userDir(), "jvm", "user jvm");
    put(userDir(), "tzdata", "user tzdata");
    ProfileStore store = store();
    assertEquals("project jvm", store.load("jvm").profile().comment());
    assertEquals(ProfileStore.Origin.PROJECT, store.load("jvm").origin());
    assertEquals(ProfileStore.Origin.USER, store.load("tzdata").origin());
    assertEquals(ProfileStore.Origin.SHIPPED, store.load("python3").origin());
    assertEquals("shipped:python3.json", store.load("python3").location());
  }

  @Test
  void load_path_readsTheFile() throws Exception {
    put(work.resolve("elsewhere"), "mine", "a file");
    ProfileStore.Stored s = store().load("elsewhere/mine.json");
    assertEquals(ProfileStore.Origin.PATH, s.origin());
    assertEquals("a file", s.profile().comment());
  }

  @Test
  void load_missingPath_namesIt() {
    ProfileException e = assertThrows(ProfileException.class, () -> store().load("nope/x.json"));
    assertEquals("nope/x.json", e.source());
  }

  @Test
  void load_unknownName_listsWhereItLooked() {
    ProfileException e = assertThrows(ProfileException.class, () -> store().load("nosuch"));
    assertEquals("nosuch", e.source());
    assertTrue(e.reason().contains(work.resolve("profiles").toString()), e.reason());
    assertTrue(e.reason().contains(userDir().toString()), e.reason());
    assertTrue(e.reason().contains("jvm"), e.reason());
  }

  @Test
  void load_profilesDir_replacesTheHomeDirectory() throws Exception {
    put(userDir(), "team", "home");
    put(work.resolve("custom"), "team", "custom");
    ProfileStore store =
        new ProfileStore(
            work, Optional.of(home), Optional.of(Path.of("custom")), getClass().getClassLoader());
    assertEquals("custom", store.load("team").profile().comment());
  }

  @Test
  void load_brokenFile_namesTheFile() throws Exception {
    Files.createDirectories(work.resolve("profiles"));
    Files.writeString(work.resolve("profiles/bad.json"), "{ \"schemaVersion\": 9 }");
    ProfileException e = assertThrows(ProfileException.class, () -> store().load("bad"));
    assertEquals(work.resolve("profiles/bad.json").toString(), e.source());
  }

  @Test
  void list_everyPlace_firstOneWinsSortedByName() throws Exception {
    put(work.resolve("profiles"), "jvm", "project jvm");
    put(userDir(), "zzz", "user zzz");
    List<ProfileStore.Stored> all = store().list();
    List<String> names = all.stream().map(ProfileStore.Stored::name).toList();
    assertEquals(names.stream().sorted().toList(), names);
    assertTrue(
        names.containsAll(
            List.of(
                "ca-certificates",
                "gconv",
                "glibc-nss",
                "jvm",
                "locales",
                "python3",
                "tzdata",
                "zzz")));
    ProfileStore.Stored jvm =
        all.stream().filter(s -> s.name().equals("jvm")).findFirst().orElseThrow();
    assertEquals(ProfileStore.Origin.PROJECT, jvm.origin());
  }

  @Test
  void list_noHome_onlyProjectAndShipped() {
    ProfileStore store =
        new ProfileStore(work, Optional.empty(), Optional.empty(), getClass().getClassLoader());
    assertEquals(store.shippedNames().size(), store.list().size());
  }
}
