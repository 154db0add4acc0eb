int broken(int v) { return v +; }
