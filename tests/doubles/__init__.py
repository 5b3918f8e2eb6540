"""In-memory fakes of deeprun's ports. Tests replace a port with one of these, never patch ours."""
