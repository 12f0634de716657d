## flash.mail

flash-mail-sent = Mensagem enviada.
flash-mail-deleted = Mensagem eliminada.

## flash.mail_admin

flash-mail_admin-retrying = As mensagens da fila de espera estão a ser enviadas agora; recarregue a página dentro de momentos.
flash-mail_admin-deleted = A mensagem foi eliminada da fila de espera.

## mail

mail-bounce_subject = Não entregue: { $subject }
mail-bounce_text = Esta mensagem vem do servidor de correio da escola. Não foi possível entregar a sua mensagem a { $recipient } e não haverá nova tentativa. O motivo indicado pelo outro servidor encontra-se abaixo, seguido dos cabeçalhos da sua mensagem.
mail-error_bad_address = Este endereço não é válido.
mail-error_unknown = Ninguém nesta escola tem este endereço.
mail-error_list_not_allowed = Só os professores da turma e a secretaria podem escrever para a lista de uma turma.
mail-error_relay_denied = Inicie sessão para enviar correio para fora da escola.
mail-error_outside_not_allowed = A sua conta não pode enviar correio para fora da escola.
mail-error_no_relay = Esta escola ainda não pode enviar correio para fora (não está configurado nenhum servidor de reencaminhamento).
mail-title = Correio
mail-inbox = Caixa de entrada
mail-sent = Enviadas
mail-write = Escrever uma mensagem
mail-unread = não lida
mail-unread_count =
    { $n ->
        [one] { $n } não lida
       *[other] { $n } não lidas
    }
mail-has_attachments = Anexos
mail-no_subject = (sem assunto)
mail-to_prefix = Para:
mail-empty_inbox = Ainda não há mensagens.
mail-empty_sent = Ainda não enviou nenhuma mensagem.
mail-newer = ← Mais recentes
mail-older = Mais antigas →
mail-from = De
mail-to = Para
mail-cc = Cc
mail-date = Data
mail-attachments = Anexos
mail-reply = Responder
mail-delete = Eliminar
mail-back_inbox = Voltar à caixa de entrada
mail-back_sent = Voltar às mensagens enviadas
mail-compose_title = Nova mensagem
mail-recipient_n = Destinatário { $n }
mail-to_hint = Comece a escrever um nome ou um endereço e escolha-o nas sugestões. Um destinatário por campo, ou vários no mesmo campo, separados por vírgulas. Os campos vazios são ignorados.
mail-subject = Assunto
mail-body = Mensagem
mail-attach_label = Anexar ficheiros (vários de uma vez, se quiser)
mail-attach_hint = A mensagem inteira, incluindo os anexos, não pode ter mais de { $size }. Os ficheiros anexados aumentam cerca de um terço ao serem enviados.
mail-send = Enviar
mail-quote_header = Em { $date }, { $name } escreveu:
mail-class_list = Turma { $class }: toda a turma (alunos e professores)
mail-error_no_recipients = Adicione pelo menos um destinatário.
mail-error_too_big = Esta mensagem é demasiado grande: no máximo { $size }, incluindo os anexos. Não foi enviado nada.
mail-error_too_many = Demasiados destinatários: no máximo { $count } por mensagem. Escreva para a lista de uma turma ou envie várias mensagens.
mail-error_subject_long = O assunto é demasiado longo (no máximo 250 caracteres).
mail-error_address = Destinatário em causa: { $address }
mail-attach_again = Os anexos não são guardados quando uma mensagem é recusada: escolha novamente os ficheiros antes de enviar.

## mail_settings

mail_settings-error_relay_host = O servidor de reencaminhamento deve ser um nome DNS ou um endereço IP.
mail_settings-error_relay_port = A porta do servidor de reencaminhamento deve estar entre 1 e 65535.
mail_settings-error_max_size = O tamanho máximo de uma mensagem deve estar entre 64 KiB e 100 MiB.
mail_settings-error_retry = Os intervalos entre tentativas devem ser de pelo menos um segundo, o primeiro não pode ser maior do que o intervalo máximo, e a desistência tem de vir depois da primeira nova tentativa.

## mail_admin

mail_admin-title = Correio
mail_admin-queue = Correio à espera de sair da escola
mail_admin-queue_count =
    { $n ->
        [one] { $n } mensagem à espera do servidor de reencaminhamento.
       *[other] { $n } mensagens à espera do servidor de reencaminhamento.
    }
mail_admin-queue_empty = Não há correio à espera: tudo o que foi enviado para fora da escola já saiu.
mail_admin-retry_all = Tentar todas agora
mail_admin-retry = Tentar agora
mail_admin-delete = Eliminar
mail_admin-queued_at = Desde
mail_admin-from_to = De → para
mail_admin-subject = Assunto
mail_admin-attempts = Tentativas
mail_admin-next = próxima tentativa em { $when }
mail_admin-last_error = Última resposta
mail_admin-settings = Regras do correio e servidor de reencaminhamento
mail_admin-domain_hint = O endereço de cada conta é nome@{ $domain } (o domínio é definido na página de definições); a lista de uma turma é classe+turma@{ $domain }.
mail_admin-class_lists = Quem pode escrever para a lista de uma turma
mail_admin-class_lists_teachers = Os professores da turma e a secretaria
mail_admin-class_lists_members = Os professores da turma, a secretaria e os alunos da turma
mail_admin-pupils_outside = Os alunos podem enviar correio para fora da escola
mail_admin-max_size = Tamanho máximo de uma mensagem (MiB)
mail_admin-relay = Servidor de reencaminhamento (relay) para o correio externo
mail_admin-relay_hint = O correio para outros domínios sai através deste servidor (normalmente, o do seu fornecedor de internet). Se ficar vazio, o correio não pode sair da escola.
mail_admin-relay_host = Servidor de reencaminhamento
mail_admin-relay_port = Porta
mail_admin-relay_tls = Segurança
mail_admin-tls_starttls = STARTTLS (normalmente porta 587)
mail_admin-tls_tls = TLS (normalmente porta 465)
mail_admin-tls_none = Nenhuma (apenas para um servidor de reencaminhamento na rede da própria escola)
mail_admin-relay_user = Nome de utilizador (se o servidor de reencaminhamento o pedir)
mail_admin-relay_password = Palavra-passe
mail_admin-password_kept = inalterada
mail_admin-clear_password = Remover a palavra-passe guardada
mail_admin-retries = Quando a ligação está em baixo
mail_admin-retry_first = Primeira nova tentativa após (minutos)
mail_admin-retry_max = Espera máxima entre tentativas (minutos)
mail_admin-give_up = Desistir e avisar o remetente após (dias)
mail_admin-error_number = Introduza números inteiros e escolha as opções nas listas.
