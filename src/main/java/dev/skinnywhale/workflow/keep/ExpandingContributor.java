package dev.skinnywhale.workflow.keep;

/**
 * A contributor whose additions depend on what the plan already keeps, the static closure included
 * (the packages of kept files, say). The plan step asks it after each closure, and resolves the
 * closure again when it added something, until neither adds anything more: each file it keeps
 * brings its own closure, and that closure's packages, by the same rules.
 */
public interface ExpandingContributor extends KeepContributor {}
