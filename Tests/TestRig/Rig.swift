// The loop-device rig lands with the foundation.
public enum TestRigPlaceholder {}
