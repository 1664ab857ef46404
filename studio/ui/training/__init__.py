"""Training from the window: the child process, live plots and the training panel."""
