"""Scale-mode workers: background work in processes of its own, woken through a job queue."""
