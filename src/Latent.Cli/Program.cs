using Latent.Cli;

return await LatentCommand.RunAsync(args);
