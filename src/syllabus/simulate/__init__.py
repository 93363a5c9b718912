"""Student activity Thinkific's Admin API cannot cause (lessons completed, sign-ins, quiz
attempts), simulated through the control plane and the CLI."""
