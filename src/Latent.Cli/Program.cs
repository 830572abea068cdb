using Latent.Cli;

return await CommandLine.RunAsync(args);
